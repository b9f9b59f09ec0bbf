using Dropout.Charts;
using Dropout.Experiments.Charts;

namespace Dropout.Tests.Experiments.Charts;

public class TextTableTests
{
    [Fact]
    public void FirstColumnLeftOthersRightAligned()
    {
        string table = TextTable.Format(["figure", "value"], [["steps/s", "235"], ["train epoch (s)", "0.9"]]);
        string[] lines = table.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal([
            "figure           value",
            "---------------  -----",
            "steps/s            235",
            "train epoch (s)    0.9",
        ], lines);
    }

    [Fact]
    public void ARowOfTheWrongWidthIsRejected() =>
        Assert.Contains("2 cells but the table has 3 columns", Assert.Throws<ArgumentException>(() => TextTable.Format(["a", "b", "c"], [["1", "2"]])).Message);
}
