using GrowthBot.Bench;

// `--startup-probe PATH` is the hidden verb the bench re-invokes itself with to time a cold start;
// `--layout-probe PATH` compares reading a copy of a store in layout 1 and in layout 2.
return args.Length > 0 && args[0] == StartupProbe.Verb ? StartupProbe.Run(args)
    : args.Length > 0 && args[0] == LayoutProbe.Verb ? LayoutProbe.Run(args)
    : BenchCommand.Run(args);
