namespace GrowthBot.Slack.Rendering;

/// <summary>Slack's documented Block Kit limits, enforced by the renderer and checked by the tests' validator.</summary>
public static class BlockKitLimits
{
    public const int BlocksPerMessage = 50;
    public const int SectionText = 3000;
    public const int HeaderText = 150;
    public const int FieldText = 2000;
    public const int FieldsPerSection = 10;
    public const int ContextElements = 10;
    public const int ButtonText = 75;
    public const int ButtonValue = 2000;
    public const int ActionId = 255;
    public const int ElementsPerActions = 25;
    public const int BlockId = 255;
    public const int InputLabel = 2000;
    public const int InputPlaceholder = 150;
    public const int InputMaxLength = 3000;
    public const int ImageAltText = 2000;
    public const int ImageTitle = 2000;
    /// <summary>About how much text one message can carry in all its blocks before Slack refuses it.</summary>
    public const int TotalTextBudget = 11_000;
}
