package io.kanister.kopia.operator.cli;

import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The list view: one line per Repository, columns padded like {@code kubectl get}. */
final class StatusTable {
  static final List<String> HEADER =
      List.of(
          "NAMESPACE",
          "NAME",
          "TARGET",
          "READY",
          "SERVER",
          "USERS",
          "MAINTENANCE",
          "AGE",
          "LAST ERROR");

  private StatusTable() {}

  static void print(List<RepositoryState> states, Instant now, PrintStream out) {
    List<List<String>> rows = new ArrayList<>();
    rows.add(HEADER);
    for (RepositoryState s : states) {
      rows.add(
          List.of(
              s.namespace(),
              s.name(),
              s.target(),
              s.readyCell(),
              s.serverCell(),
              s.usersCell(),
              s.maintenanceCell(),
              s.age(now),
              s.lastErrorCell()));
    }
    int[] widths = new int[HEADER.size()];
    for (List<String> row : rows) {
      for (int i = 0; i < row.size(); i++) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    for (List<String> row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.size(); i++) {
        boolean last = i == row.size() - 1;
        line.append(last ? row.get(i) : pad(row.get(i), widths[i] + 3));
      }
      out.println(line.toString().stripTrailing());
    }
  }

  private static String pad(String text, int width) {
    return text + " ".repeat(Math.max(0, width - text.length()));
  }
}
