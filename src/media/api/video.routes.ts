/**
 * The paths of the video routes, shared by VideoController's decorators and
 * StreamFastPath's matcher so that the two cannot drift apart.
 */
export const VIDEOS_PATH = 'api/videos';
export const STREAM_SEGMENT = 'stream';
export const STREAM_PATH = `:id/${STREAM_SEGMENT}`;
