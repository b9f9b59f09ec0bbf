using Dropout.Notebooks.Runner.Documents;
using Dropout.Notebooks.Runner.Execution;
using static Dropout.Tests.Runner.RunnerTestSupport;

namespace Dropout.Tests.Runner;


[Collection(KernelCollection.Name)]
public class NotebookParametersTests
{
    const string Cell = "bool quick = false;\nint epochs = 10;\nvar rate = 0.5;\nvar name = \"run\";\nlong seed = 42;\nfloat p = 0.2f;";

    [Fact]
    public void DeclarationsAreReadWithTheirTypes()
    {
        Assert.Equal(
            [("quick", "bool"), ("epochs", "int"), ("rate", "double"), ("name", "string"), ("seed", "long"), ("p", "float")],
            NotebookParameters.Declarations(Cell).Select(d => (d.Name, d.Type)));
    }

    [Theory]
    [InlineData("quick", "true", "quick = true;")]
    [InlineData("quick", "False", "quick = false;")]
    [InlineData("epochs", "3", "epochs = 3;")]
    [InlineData("rate", "1", "rate = 1.0;")]
    [InlineData("rate", "2.5e-3", "rate = 0.0025;")]
    [InlineData("name", "a \"quoted\\\" name", "name = \"a \\\"quoted\\\\\\\" name\";")]
    [InlineData("seed", "7", "seed = 7L;")]
    [InlineData("p", "0.1", "p = 0.1f;")]
    public void OverridesBecomeLiteralsOfTheDeclaredType(string name, string value, string assignment)
    {
        string source = NotebookParameters.InjectedSource(Cell, [new(name, value)]);
        Assert.Equal($"// Parameters injected by the runner (-p, --quick)\n{assignment}", source);
    }

    [Theory]
    [InlineData("nosuch", "1", "unknown parameter 'nosuch'; the parameters cell declares: bool quick, int epochs, double rate, string name, long seed, float p.")]
    [InlineData("epochs", "many", "parameter 'epochs' is int; 'many' is not an int.")]
    [InlineData("quick", "yes", "parameter 'quick' is bool; 'yes' is not true or false.")]
    [InlineData("rate", "NaN", "parameter 'rate' is double; 'NaN' is not a finite number.")]
    public void BadOverridesAreRefusedClearly(string name, string value, string message)
    {
        var e = Assert.Throws<ParameterException>(() => NotebookParameters.InjectedSource(Cell, [new(name, value)]));
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void DefaultsComputedFromAnOverriddenParameterAreRefused()
    {
        var e = Assert.Throws<ParameterException>(() =>
            NotebookParameters.InjectedSource("bool quick = false;\nint epochs = quick ? 2 : 10;", [new("quick", "true")]));
        Assert.Contains("computes 'epochs' from 'quick'", e.Message);
        Assert.Contains("move that computation to the next cell", e.Message);
    }

    [Fact]
    public async Task OverridingANotebookWithoutParametersCellIsAnError()
    {
        string notebook = WriteNotebook(TempDirectory(), "plain.ipynb", "1");
        var e = await Assert.ThrowsAsync<ParameterException>(() => RunOne(notebook, o => o with { Parameters = [new("epochs", "1")] }));
        Assert.Contains("has no code cell tagged 'parameters'", e.Message);
        // --quick alone is fine: the notebook simply has no quick parameter.
        Assert.Equal(NotebookStatus.Succeeded, (await RunOne(notebook, o => o with { Quick = true })).Status);
    }
}
