import type { TopicPartition } from './record.js';
import type { StateSnapshot, StateStore } from './state.js';

/** Keyed state kept in process memory: fast, and lost on restart. The default store. */
export function memoryStateStore(): StateStore {
  // topic → partition → namespace → key → value: no partition id text built per call.
  const topics = new Map<string, Map<number, Map<string, Map<string, unknown>>>>();
  const partitionOf = (tp: TopicPartition) => topics.get(tp.topic)?.get(tp.partition);
  const topicOf = (topic: string) => {
    let t = topics.get(topic);
    if (t === undefined) {
      t = new Map();
      topics.set(topic, t);
    }
    return t;
  };
  const space = (tp: TopicPartition, namespace: string) => {
    const t = topicOf(tp.topic);
    let p = t.get(tp.partition);
    if (p === undefined) {
      p = new Map();
      t.set(tp.partition, p);
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
      for (const tp of tps) topics.get(tp.topic)?.delete(tp.partition);
    },
    get: (tp, namespace, key) => partitionOf(tp)?.get(namespace)?.get(key),
    set: (tp, namespace, key, value) => void space(tp, namespace).set(key, value),
    delete: (tp, namespace, key) => void partitionOf(tp)?.get(namespace)?.delete(key),
    // A copy, so a caller may set and delete keys while it walks them.
    keys: (tp, namespace) => [...(partitionOf(tp)?.get(namespace)?.keys() ?? [])],
    async flush() {},
    snapshot(tp) {
      const out: StateSnapshot = {};
      for (const [ns, entries] of partitionOf(tp) ?? []) {
        out[ns] = Object.fromEntries(entries);
      }
      return out;
    },
    restore(tp, snapshot) {
      const p = new Map<string, Map<string, unknown>>();
      for (const [ns, entries] of Object.entries(snapshot))
        p.set(ns, new Map(Object.entries(entries)));
      topicOf(tp.topic).set(tp.partition, p);
    },
    async close() {
      topics.clear();
    },
  };
}
