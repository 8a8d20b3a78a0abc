package io.kanister.kopia.operator.repository;

import io.kanister.controller.logging.SafeMessage;

/**
 * A reconcile failed for a reason that may pass (storage unreachable, a timeout); the work queue
 * retries it with exponential backoff. The message is already in status and safe to log.
 */
final class TransientRepositoryException extends Exception implements SafeMessage {
  TransientRepositoryException(String message) {
    super(message, null, false, false);
  }
}
