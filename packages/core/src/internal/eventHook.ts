import { errorMessage } from '../errors.js';
import type { Logger } from '../logger.js';
import type { RuntimeEvent } from '../metrics.js';

/** `onEvent` made safe to call: no hook is a no-op, and a hook that throws is logged, not fatal. */
export function eventHook(
  onEvent: ((event: RuntimeEvent) => void) | undefined,
  logger: Logger,
  name: string,
): (event: RuntimeEvent) => void {
  if (onEvent === undefined) return () => {};
  return (event) => {
    try {
      onEvent(event);
    } catch (error) {
      logger.warn(`${name}: onEvent hook threw`, { error: errorMessage(error) });
    }
  };
}
