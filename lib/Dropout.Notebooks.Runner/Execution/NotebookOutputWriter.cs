using Dropout.Experiments.Platform;
using Dropout.Notebooks.Runner.Documents;
using Dropout.Notebooks.Runner.Html;
using Dropout.Platform;

namespace Dropout.Notebooks.Runner.Execution;

/// <summary>Writes a notebook's executed .ipynb and its .html, each atomically, as often as asked.</summary>
sealed class NotebookOutputWriter(NotebookDocument document, string executedPath, string htmlPath)
{
    public void Write(IReadOnlyList<ExecutedCell> cells)
    {
        string json = ExecutedNotebookJson.Write(document, cells);
        string html = NotebookHtml.Render(document, cells);
        lock (ParentWatch.Writing)
        {
            AtomicFile.WriteAllText(executedPath, json);
            AtomicFile.WriteAllText(htmlPath, html);
        }
    }
}
