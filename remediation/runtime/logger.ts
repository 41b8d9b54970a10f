/** The Powertools Logger behind the responders' small logging interface (no AWS client imports here). */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import type { ResponderLogger } from '../response/respond';

/** A responder logger that can also stamp the Lambda invocation on every later line. */
export interface LambdaLogger extends ResponderLogger {
  /** Powertools addContext: function_request_id, cold_start, function_name (and ARN, memory, version). */
  readonly addContext: (context: Context) => void;
}

export function powertoolsLogger(logger: Logger): LambdaLogger {
  return {
    debug: (message, attributes) => logger.debug(message, attributes ?? {}),
    info: (message, attributes) => logger.info(message, attributes ?? {}),
    warn: (message, attributes) => logger.warn(message, attributes ?? {}),
    error: (message, attributes) => logger.error(message, attributes ?? {}),
    addContext: (context) => logger.addContext(context),
  };
}
