import { sleep } from '@tributary/core';
import { clientErrorInfo } from './kafkaError.js';

/** Runs `fn`, retrying errors the client marks retriable (leader moves, coordinator loading). */
export async function retrying<T>(fn: () => Promise<T>, attempts = 20, delayMs = 250): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (error) {
      if (i >= attempts || clientErrorInfo(error).retriable !== true) throw error;
      await sleep(delayMs);
    }
  }
}
