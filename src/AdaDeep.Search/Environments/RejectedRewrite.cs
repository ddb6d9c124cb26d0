namespace AdaDeep.Search.Environments;

/// <summary>
/// A technique that said it could rewrite a layer but failed to (threw, or changed the model's output shapes).
/// The configuration is then scored with accuracy 0 so no strategy picks it; reports list these.
/// </summary>
public sealed record RejectedRewrite(string Configuration, string Layer, string Technique, string Reason);
