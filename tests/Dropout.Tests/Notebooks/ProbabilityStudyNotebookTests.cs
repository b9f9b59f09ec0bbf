using System.Globalization;
using System.Text.RegularExpressions;
using Dropout.Statistics;
using Dropout.Study;
using Dropout.Tests.Runner;

namespace Dropout.Tests.Notebooks;

/// <summary>Notebook 04 as committed: the notebook conventions and the source's training as its parameters.</summary>
public class ProbabilityStudyNotebookTests
{
    [Fact]
    public void FollowsTheNotebookConventionsWithTheSourcesTrainingAsParameters()
    {
        var nb = NotebookFile.Load("04-dropout-probability-study.ipynb");
        nb.AssertFollowsConventions();
        foreach (string p in new[] { "int numEpochs = 10;", "double lr = 0.5;", "int batchSize = 256;", "int numHiddens = 256;", "int seeds = 3;" })
            Assert.Contains(p, nb.ParametersSource);
    }
}

