using System.Buffers.Binary;

namespace AdaDeep.SampleApp;

/// <summary>The MNIST IDX files (big-endian headers): images [N, rows, cols] as bytes, labels [N].</summary>
public sealed record MnistIdx(byte[] Pixels, byte[] Labels, int Count, int Rows, int Columns)
{
    public const string TestImages = "t10k-images-idx3-ubyte";
    public const string TestLabels = "t10k-labels-idx1-ubyte";

    public static MnistIdx LoadTestSet(string folder)
    {
        var images = File.ReadAllBytes(Path.Combine(folder, TestImages));
        var labels = File.ReadAllBytes(Path.Combine(folder, TestLabels));
        if (BinaryPrimitives.ReadInt32BigEndian(images) != 2051 || BinaryPrimitives.ReadInt32BigEndian(labels) != 2049)
        {
            throw new InvalidDataException($"{folder} does not hold MNIST IDX files (magic numbers 2051/2049)");
        }

        var count = BinaryPrimitives.ReadInt32BigEndian(images.AsSpan(4));
        var rows = BinaryPrimitives.ReadInt32BigEndian(images.AsSpan(8));
        var columns = BinaryPrimitives.ReadInt32BigEndian(images.AsSpan(12));
        if (BinaryPrimitives.ReadInt32BigEndian(labels.AsSpan(4)) != count || images.Length != 16 + count * rows * columns)
        {
            throw new InvalidDataException($"{folder}: image and label files do not match");
        }

        return new MnistIdx(images[16..], labels[8..], count, rows, columns);
    }

    /// <summary>Image <paramref name="index"/> as floats 0–255, the range mnist-8 was trained on.</summary>
    public float[] Image(int index)
    {
        var size = Rows * Columns;
        var image = new float[size];
        for (var i = 0; i < size; i++)
        {
            image[i] = Pixels[index * size + i];
        }

        return image;
    }
}
