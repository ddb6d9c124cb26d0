namespace AdaDeep.Search.Dqn;

/// <summary>
/// One stored step (o, a, R1, R2, o′): the rewards split so G learns R1 and H learns R2, and the legal actions
/// at o′ so the double-DQN argmax never picks an illegal action.
/// </summary>
public sealed record Transition(float[] State, int Action, float R1, float R2, float[] NextState, bool Done, bool[] NextLegal);
