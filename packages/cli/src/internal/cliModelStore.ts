import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { JsonValue, LearnerSnapshot, ModelVersion } from '@tributary/learn';
import { cliError } from './usageError.js';

/** What the `models` commands need of a model store. */
export interface CliModelStore {
  names(): Promise<string[]>;
  versions(name: string): Promise<number[]>;
  load(name: string, version?: number): Promise<ModelVersion | undefined>;
  save(
    name: string,
    snapshot: LearnerSnapshot,
    metadata: { readonly [key: string]: JsonValue },
  ): Promise<ModelVersion>;
  close(): Promise<void>;
}

interface ModelFile {
  readonly format: 1;
  readonly versions: ModelVersion[];
}

/**
 * The dev directory's model store: one JSON file per model topic. Versions increase across
 * names in save order, as in a Kafka model store (there, a version is its record's offset + 1).
 */
export function fileModelStore(file: string): CliModelStore {
  const read = async (): Promise<ModelFile> => {
    try {
      const parsed = JSON.parse(await readFile(file, 'utf8')) as ModelFile;
      if (parsed?.format !== 1 || !Array.isArray(parsed.versions)) throw new Error('format');
      return parsed;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { format: 1, versions: [] };
      throw cliError('CLI_BAD_INPUT', `${file} is not a tributary model file (format 1)`, { file });
    }
  };
  const of = async (name: string) => (await read()).versions.filter((v) => v.name === name);
  return {
    async names() {
      return [...new Set((await read()).versions.map((v) => v.name))].sort();
    },
    async versions(name) {
      return (await of(name)).map((v) => v.version);
    },
    async load(name, version) {
      const list = await of(name);
      return version === undefined ? list.at(-1) : list.find((v) => v.version === version);
    },
    async save(name, snapshot, metadata) {
      const data = await read();
      const model: ModelVersion = {
        name,
        version: (data.versions.at(-1)?.version ?? 0) + 1,
        snapshot,
        savedAt: Date.now(),
        metadata,
      };
      await mkdir(dirname(file), { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      await writeFile(
        tmp,
        `${JSON.stringify({ format: 1, versions: [...data.versions, model] }, null, 2)}\n`,
      );
      await rename(tmp, file);
      return model;
    },
    async close() {},
  };
}
