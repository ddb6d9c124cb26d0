using AdaDeep.Cli.Project;
using AdaDeep.Onnx.Diagnostics;

namespace AdaDeep.Cli.Tests.Project;

public class ProjectFileFinderTests : TempFolderTest
{
    [Fact]
    public void The_one_project_of_a_folder_is_found()
    {
        var project = WriteText("App.csproj", "<Project />");
        WriteText("notes.txt", "");

        Assert.Equal(project, ProjectFileFinder.Find(null, Folder));
        Assert.Equal(project, ProjectFileFinder.Find(Folder, "/"));
        Assert.Equal(project, ProjectFileFinder.Find("App.csproj", Folder));
    }

    [Fact]
    public void A_folder_without_a_project_is_ADA6001_with_exit_code_7()
    {
        WriteText("readme.md", "");

        var result = CliRunner.Run("--project", Folder);

        Assert.Equal(7, result.ExitCode);
        Assert.Contains($"{Folder}: error ADA6001: no project file in this folder", result.Error);
        Assert.Contains("--project PATH", result.Error);
    }

    [Fact]
    public void A_folder_with_several_projects_is_ADA6002_and_lists_them()
    {
        WriteText("App.csproj", "<Project />");
        WriteText("Lib.fsproj", "<Project />");

        var result = CliRunner.Run("--project", Folder);

        Assert.Equal(7, result.ExitCode);
        Assert.Contains("error ADA6002: this folder has 2 project files: App.csproj, Lib.fsproj; pass one with --project", result.Error);
    }

    [Fact]
    public void A_folder_with_only_a_solution_says_to_pass_a_project()
    {
        WriteText("All.sln", "");

        var e = Assert.Throws<AdaDeepException>(() => ProjectFileFinder.Find(null, Folder));

        Assert.Equal(ErrorCodes.ProjectNotFound, e.Code);
        Assert.Contains("All.sln, a solution", e.Message);
        Assert.Equal(ErrorCodes.ProjectNotFound, Assert.Throws<AdaDeepException>(() => ProjectFileFinder.Find("All.sln", Folder)).Code);
    }

    [Fact]
    public void A_path_that_does_not_exist_is_ADA6001()
    {
        var e = Assert.Throws<AdaDeepException>(() => ProjectFileFinder.Find("nowhere/App.csproj", Folder));

        Assert.Equal(ErrorCodes.ProjectNotFound, e.Code);
        Assert.Equal(7, e.ExitCode);
        Assert.Equal(Path.Combine(Folder, "nowhere", "App.csproj"), e.File);
    }
}
