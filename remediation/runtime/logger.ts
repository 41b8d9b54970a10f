/** The Powertools Logger behind the responders' small logging interface (no AWS client imports here). */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { ResponderLogger } from '../response/respond';

export function powertoolsLogger(logger: Logger): ResponderLogger {
  return {
    debug: (message, attributes) => logger.debug(message, attributes ?? {}),
    info: (message, attributes) => logger.info(message, attributes ?? {}),
    warn: (message, attributes) => logger.warn(message, attributes ?? {}),
    error: (message, attributes) => logger.error(message, attributes ?? {}),
  };
}
