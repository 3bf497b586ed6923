import type { TopicPartition } from './record.js';
import type { StateSnapshot, StateStore } from './state.js';

/** Keyed state kept in process memory: fast, and lost on restart. The default store. */
export function memoryStateStore(): StateStore {
  // partition id → namespace → key → value
  const partitions = new Map<string, Map<string, Map<string, unknown>>>();
  const id = (tp: TopicPartition) => `${tp.topic}\u0000${tp.partition}`;
  const space = (tp: TopicPartition, namespace: string) => {
    const pid = id(tp);
    let p = partitions.get(pid);
    if (p === undefined) {
      p = new Map();
      partitions.set(pid, p);
    }
    let ns = p.get(namespace);
    if (ns === undefined) {
      ns = new Map();
      p.set(namespace, ns);
    }
    return ns;
  };
  return {
    name: 'memory',
    async assign() {},
    async revoke(tps) {
      for (const tp of tps) partitions.delete(id(tp));
    },
    get: (tp, namespace, key) => partitions.get(id(tp))?.get(namespace)?.get(key),
    set: (tp, namespace, key, value) => void space(tp, namespace).set(key, value),
    delete: (tp, namespace, key) => void partitions.get(id(tp))?.get(namespace)?.delete(key),
    // A copy, so a caller may set and delete keys while it walks them.
    keys: (tp, namespace) => [...(partitions.get(id(tp))?.get(namespace)?.keys() ?? [])],
    async flush() {},
    snapshot(tp) {
      const out: StateSnapshot = {};
      for (const [ns, entries] of partitions.get(id(tp)) ?? []) {
        out[ns] = Object.fromEntries(entries);
      }
      return out;
    },
    restore(tp, snapshot) {
      const p = new Map<string, Map<string, unknown>>();
      for (const [ns, entries] of Object.entries(snapshot))
        p.set(ns, new Map(Object.entries(entries)));
      partitions.set(id(tp), p);
    },
    async close() {
      partitions.clear();
    },
  };
}
