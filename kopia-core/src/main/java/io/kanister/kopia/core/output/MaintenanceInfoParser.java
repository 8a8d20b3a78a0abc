package io.kanister.kopia.core.output;

import java.util.ArrayList;
import java.util.List;

/** Reads the single JSON object printed by {@code kopia maintenance info --json}. */
final class MaintenanceInfoParser {

  private MaintenanceInfoParser() {}

  static MaintenanceInfo parse(String json) {
    JsonFields info =
        JsonFields.of(JsonFields.readTree(json, "maintenance info"), "maintenance info");
    ImmutableMaintenanceInfo.Builder builder =
        ImmutableMaintenanceInfo.builder()
            .owner(info.optionalText("owner"))
            .quick(readCycle(info.object("quick")))
            .full(readCycle(info.object("full")));
    info.optionalObject("schedule")
        .ifPresent(
            schedule -> {
              builder.nextQuickMaintenance(schedule.optionalInstant("nextQuickMaintenance"));
              builder.nextFullMaintenance(schedule.optionalInstant("nextFullMaintenance"));
              schedule.optionalObject("runs").ifPresent(runs -> readRuns(runs, builder));
            });
    return builder.build();
  }

  private static MaintenanceCycle readCycle(JsonFields cycle) {
    return ImmutableMaintenanceCycle.builder()
        .enabled(cycle.bool("enabled"))
        .interval(cycle.nanosDuration("interval"))
        .build();
  }

  private static void readRuns(JsonFields runs, ImmutableMaintenanceInfo.Builder builder) {
    for (String task : runs.fieldNames()) {
      List<MaintenanceRun> taskRuns = new ArrayList<>();
      for (JsonFields run : runs.objectList(task)) {
        taskRuns.add(
            ImmutableMaintenanceRun.builder()
                .start(run.instant("start"))
                .end(run.instant("end"))
                .success(run.bool("success"))
                .error(run.optionalText("error"))
                .build());
      }
      builder.putRuns(task, taskRuns);
    }
  }
}
