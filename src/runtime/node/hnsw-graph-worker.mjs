// Builds one HNSW graph in a worker thread and writes it to a file (see buildGraphs in hnsw-index.ts,
// which passes every setting). Plain JavaScript, so a worker thread can load it without a TypeScript loader.
import { parentPort, workerData } from 'node:worker_threads';
import hnswlib from 'hnswlib-node';

const { vectors, dimensions, start, size, file, m, efConstruction, randomSeed } = workerData;
const matrix = new Float32Array(vectors);
const index = new hnswlib.HierarchicalNSW('cosine', dimensions);
index.initIndex({ maxElements: Math.max(1, size), m, efConstruction, randomSeed });
// hnswlib-node takes plain arrays; one is refilled for every vector rather than allocating one each.
const point = new Array(dimensions);
for (let id = start; id < start + size; id++) {
  const row = id * dimensions;
  for (let d = 0; d < dimensions; d++) point[d] = matrix[row + d];
  // The label is the chunk ordinal, so a search of any graph answers in chunk ordinals.
  index.addPoint(point, id);
}
index.writeIndexSync(file);
// hnswlib writes through an unchecked stream (a full disk or a bad path goes unnoticed): read the file back.
const written = new hnswlib.HierarchicalNSW('cosine', dimensions);
written.readIndexSync(file);
if (written.getCurrentCount() !== size) throw new Error(`${file}: ${written.getCurrentCount()} of ${size} vectors written`);
parentPort.postMessage({ file, size });
