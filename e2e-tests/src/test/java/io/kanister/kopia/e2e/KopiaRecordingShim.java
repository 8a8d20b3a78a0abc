package io.kanister.kopia.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Evidence from outside the operator JVMs of when each ran which kopia command: a {@code
 * --kopia-binary} for one operator process that appends a line to a record file the operators
 * share, then execs the real kopia (same pid, so the operator's kill still reaches kopia itself;
 * the real kopia does all the work). A watcher forked before the exec polls {@code
 * /proc/<pid>/stat} every 5 ms and appends the end, also for a kopia the fence SIGKILLed. Times are
 * {@code CLOCK_MONOTONIC} (the clock of {@link System#nanoTime()} on Linux, so comparable with the
 * test's own instants) and, for the log lines, wall-clock microseconds.
 *
 * <p>Only the subcommand is recorded, cut as {@code KopiaCommand.verb()} cuts it (at the first
 * flag, or a word with {@code @} or {@code /}: a user name, a path). Secrets never stand in kopia
 * arguments (KopiaCommand refuses to build such a command), and the test checks the record file for
 * every secret value anyway.
 */
final class KopiaRecordingShim {
  /** One kopia command; {@code endNanos} is {@link Long#MAX_VALUE} while it has not ended. */
  record Command(
      String who,
      long pid,
      long parent,
      String verb,
      long startNanos,
      long startMicros,
      long endNanos) {
    boolean writes() {
      return ServedRepositoryInvariants.writes(verb);
    }

    boolean ended() {
      return endNanos != Long.MAX_VALUE;
    }
  }

  private static final String SCRIPT =
      """
      #!/usr/bin/perl
      # Written by KopiaRecordingShim (e2e-tests) for operator %1$s.
      use strict;
      use warnings;
      use POSIX ();
      use Time::HiRes qw(clock_gettime CLOCK_MONOTONIC CLOCK_REALTIME);

      my ($who, $record, $kopia) = ('%1$s', '%2$s', '%3$s');
      my @verb;
      for my $arg (@ARGV) {
        last if $arg =~ m{^-|[@/]} || @verb == 3;
        push @verb, $arg;
      }
      my $verb = @verb ? join(' ', @verb) : '-';
      sub note {
        open(my $out, '>>', $record) or die "kopia shim: $record: $!\\n";
        print $out join("\\t", @_), "\\n";
        close $out;
      }
      sub monotonic { sprintf('%%.0f', clock_gettime(CLOCK_MONOTONIC) * 1e9) }
      sub running {
        open(my $stat, '<', "/proc/$_[0]/stat") or return 0;
        my $line = <$stat> // '';
        return $line !~ /\\) [ZX] /;
      }
      my $pid = $$;
      note('start', $who, $pid, getppid(), monotonic(),
           sprintf('%%.0f', clock_gettime(CLOCK_REALTIME) * 1e6), $verb);
      my $watcher = fork();
      if (defined $watcher && $watcher == 0) {
        POSIX::setsid();
        open(STDIN, '<', '/dev/null');
        open(STDOUT, '>', '/dev/null');
        open(STDERR, '>', '/dev/null');
        select(undef, undef, undef, 0.005) while running($pid);
        note('end', $who, $pid, monotonic());
        POSIX::_exit(0);
      }
      exec { $kopia } $kopia, @ARGV or die "kopia shim: cannot run $kopia: $!\\n";
      """;

  private KopiaRecordingShim() {}

  /** Writes the shim of operator {@code who} into {@code dir}; returns its path. */
  static Path write(Path dir, String who, Path kopia, Path record) throws IOException {
    for (String value : List.of(who, kopia.toString(), record.toString())) {
      if (value.contains("'") || value.contains("\\")) {
        throw new IllegalArgumentException("no quote or backslash in a shim value: " + value);
      }
    }
    requirePerl();
    Path shim = dir.resolve("kopia-shim-" + who);
    Files.writeString(shim, SCRIPT.formatted(who, record, kopia.toAbsolutePath()));
    Files.setPosixFilePermissions(shim, PosixFilePermissions.fromString("rwxr-xr-x"));
    return shim;
  }

  /** Fails loudly, not with an operator that cannot run kopia, where perl is missing. */
  private static void requirePerl() throws IOException {
    try {
      Process perl =
          new ProcessBuilder("perl", "-MTime::HiRes", "-MPOSIX", "-e", "1")
              .redirectErrorStream(true)
              .start();
      if (perl.waitFor() == 0) {
        return;
      }
    } catch (IOException e) {
      // not installed: said below
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    throw new IllegalStateException(
        "the recording kopia shim needs perl with Time::HiRes (Debian: apt-get install perl)");
  }

  /** Every command recorded so far, in start order, each with its end when it has one. */
  static List<Command> read(Path record) throws IOException {
    if (!Files.exists(record)) {
      return List.of();
    }
    List<Command> commands = new ArrayList<>();
    Map<String, Integer> open = new HashMap<>();
    for (String line : Files.readAllLines(record)) {
      String[] f = line.split("\t");
      if (f[0].equals("start") && f.length == 7) {
        open.put(f[1] + "/" + f[2], commands.size());
        commands.add(
            new Command(
                f[1],
                Long.parseLong(f[2]),
                Long.parseLong(f[3]),
                f[6],
                Long.parseLong(f[4]),
                Long.parseLong(f[5]),
                Long.MAX_VALUE));
      } else if (f[0].equals("end") && f.length == 4) {
        Integer at = open.remove(f[1] + "/" + f[2]);
        if (at != null) {
          Command c = commands.get(at);
          commands.set(
              at,
              new Command(
                  c.who(),
                  c.pid(),
                  c.parent(),
                  c.verb(),
                  c.startNanos(),
                  c.startMicros(),
                  Long.parseLong(f[3])));
        }
      }
    }
    return commands;
  }
}
