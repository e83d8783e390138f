/**
 * Cue phrases of the local analyzer. Every pattern runs on the *cue form* of a sentence (see
 * {@link cueForm}): lower case, accents folded, contractions expanded ("doesn't" → "does not",
 * "can't"/"cannot" → "can not"), log in/sign in → "login". Weights are rough evidence strengths:
 * 1 weak, 2 clear, 3 unambiguous. `cue-form.ts` scores them, `type-cues.ts` has the customer's problem cues,
 * `thread-cues.ts` the rest (not a problem, support's replies, severity).
 */
export * from './cue-form';
export * from './type-cues';
export * from './thread-cues';
