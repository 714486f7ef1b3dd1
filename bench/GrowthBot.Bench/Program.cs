using GrowthBot.Bench;

// `--startup-probe PATH` is the hidden verb the bench re-invokes itself with to time a cold start.
return args.Length > 0 && args[0] == StartupProbe.Verb
    ? StartupProbe.Run(args)
    : BenchCommand.Run(args);
