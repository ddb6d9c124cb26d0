namespace AdaDeep.Build.Tasks.Tests;

public class WorkFolderTests
{
    [Fact]
    public void Stale_folders_go_held_ones_stay_and_a_disposed_one_is_removed()
    {
        var parent = Directory.CreateTempSubdirectory("adadeep-work-").FullName;
        try
        {
            // Left by a killed build: its lock died with it (here: a folder without a live lock holder).
            var stale = Path.Combine(parent, WorkFolder.Prefix + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(stale);
            File.WriteAllText(Path.Combine(stale, "model.onnx"), "half");
            var other = Path.Combine(parent, "keep-me");
            Directory.CreateDirectory(other);

            using (var live = WorkFolder.Create(parent))
            {
                File.WriteAllText(Path.Combine(live.Path, "model.onnx"), "being written");
                Assert.Equal(1, WorkFolder.RemoveStale(parent));
                Assert.False(Directory.Exists(stale));
                Assert.True(Directory.Exists(live.Path));
                Assert.True(Directory.Exists(other));
                Assert.Equal(0, WorkFolder.RemoveStale(parent));
            }

            Assert.Equal(new[] { other }, Directory.GetDirectories(parent));
            Assert.Equal(0, WorkFolder.RemoveStale(Path.Combine(parent, "missing")));
        }
        finally
        {
            Directory.Delete(parent, recursive: true);
        }
    }
}
