using System.Globalization;
using System.Runtime.CompilerServices;

namespace GrowthBot.Teams.Tests;

/// <summary>
/// This test assembly loads ICU's culture data (for the locale tests), so the machine's LANG would
/// otherwise become every test's current culture. Tests pass cultures explicitly; everything else runs invariant, as the host does.
/// </summary>
internal static class InvariantProcessCulture
{
    [ModuleInitializer]
    internal static void Pin()
    {
        CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
        CultureInfo.DefaultThreadCurrentUICulture = CultureInfo.InvariantCulture;
    }
}
