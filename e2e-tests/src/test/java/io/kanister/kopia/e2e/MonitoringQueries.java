package io.kanister.kopia.e2e;

import io.kanister.kopia.testsupport.Helm;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The metric names the chart's Grafana dashboard and PrometheusRule query. */
final class MonitoringQueries {
  private static final Pattern METRIC =
      Pattern.compile("\\b((?:kopia|controller|workqueue|informer)_[a-z_]+)\\b");
  private static final Pattern QUERY = Pattern.compile("(?m)(?:\"expr\": |expr: )(.*)$");

  private MonitoringQueries() {}

  static Set<String> metricNames() {
    String rendered =
        Helm.require()
            .template(
                "kopia-operator",
                "kanister",
                "--set",
                "metrics.prometheusRule.enabled=true,metrics.dashboard.enabled=true");
    Set<String> names = new TreeSet<>();
    Matcher query = QUERY.matcher(rendered);
    while (query.find()) {
      Matcher metric = METRIC.matcher(query.group(1));
      while (metric.find()) {
        names.add(metric.group(1));
      }
    }
    return names;
  }
}
