import { tuneHeapForStart } from './runtime/heap-tuning.js';

// Two steps so the V8 settings hold before the service's modules are even
// parsed: static imports would all be loaded (growing the heap) before the
// first line of this file ran.
tuneHeapForStart();
const { main } = await import('./bootstrap.js');
main();
