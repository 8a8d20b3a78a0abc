package io.kanister.kopia.operator.maintenance;

import io.kanister.controller.events.EventRecorder;
import io.kanister.kopia.model.repository.Repository;

/** The Events maintenance raises on a Repository; an {@link EventRecorder} in the operator. */
interface MaintenanceEvents {
  void normal(Repository repository, String reason, String message);

  void warning(Repository repository, String reason, String message);

  static MaintenanceEvents of(EventRecorder recorder) {
    return new MaintenanceEvents() {
      @Override
      public void normal(Repository repository, String reason, String message) {
        recorder.normal(repository, reason, message);
      }

      @Override
      public void warning(Repository repository, String reason, String message) {
        recorder.warning(repository, reason, message);
      }
    };
  }
}
