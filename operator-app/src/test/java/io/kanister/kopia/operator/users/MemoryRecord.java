package io.kanister.kopia.operator.users;

import io.kanister.kopia.core.user.KopiaUsername;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A {@link ManagedUsers.Store} in memory that keeps every version written, for tests. */
final class MemoryRecord implements ManagedUsers.Store {
  private ManagedUsers current;
  final List<ManagedUsers> written = new ArrayList<>();

  MemoryRecord(ManagedUsers initial) {
    this.current = initial;
  }

  /** A record of these users, each from {@code secret/access/<host after the namespace>}. */
  static MemoryRecord of(String... usernames) {
    Map<KopiaUsername, String> origins = new LinkedHashMap<>();
    for (String name : usernames) {
      KopiaUsername user = KopiaUsername.of(name);
      origins.put(user, originOf(user));
    }
    return new MemoryRecord(new ManagedUsers(origins));
  }

  static String originOf(KopiaUsername user) {
    String host = user.host();
    return ManagedUsers.secretOrigin("access", host.substring(host.indexOf('.') + 1));
  }

  @Override
  public ManagedUsers read() {
    return current;
  }

  @Override
  public void write(ManagedUsers users) {
    current = users;
    written.add(users);
  }
}
