// The old path of `assembleTransform` (renamed when the public `defineTransform` of
// ../defineTransform.ts was added), kept for the files that still import it from here.
export { assembleTransform as defineTransform } from './assembleTransform.js';
