package io.kanister.kopia.operator.repository;

import static org.assertj.core.api.Assertions.assertThat;

import io.kanister.kopia.model.repository.Repository;
import io.kanister.kopia.model.repository.RepositoryIdentityStatus;
import io.kanister.kopia.model.repository.RepositoryStatus;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one status write of a pass never loses the recorded repository identity. */
class RepositoryConditionsTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-12-01T20:00:00Z"), ZoneOffset.UTC);

  @Test
  void aPassFromAStaleCacheKeepsTheRecordedUniqueId() {
    Repository stored = recorded("7f3a9c2e");
    RepositoryIdentityStatus fromStaleCache = new RepositoryIdentityStatus();
    fromStaleCache.setManagedPolicies(List.of("(global)"));
    RepositoryConditions pass = new RepositoryConditions();
    pass.identity(fromStaleCache);

    pass.applyTo(stored, CLOCK, 2L);

    RepositoryIdentityStatus identity = stored.getStatus().getRepository();
    assertThat(identity.getUniqueId()).isEqualTo("7f3a9c2e");
    assertThat(identity.getRecordedAt()).isEqualTo("2026-11-30T10:00:00Z");
    assertThat(identity.getStorage()).isEqualTo("s3://bucket/prefix/");
    assertThat(identity.getManagedPolicies()).containsExactly("(global)");
  }

  @Test
  void anAcceptedNewRepositoryReplacesTheUniqueId() {
    Repository stored = recorded("7f3a9c2e");
    RepositoryIdentityStatus accepted = new RepositoryIdentityStatus();
    accepted.setUniqueId("0b1d44aa");
    accepted.setRecordedAt("2026-12-01T20:00:00Z");
    RepositoryConditions pass = new RepositoryConditions();
    pass.identity(accepted);

    pass.applyTo(stored, CLOCK, 3L);

    assertThat(stored.getStatus().getRepository().getUniqueId()).isEqualTo("0b1d44aa");
  }

  private static Repository recorded(String uniqueId) {
    RepositoryIdentityStatus identity = new RepositoryIdentityStatus();
    identity.setUniqueId(uniqueId);
    identity.setRecordedAt("2026-11-30T10:00:00Z");
    identity.setStorage("s3://bucket/prefix/");
    RepositoryStatus status = new RepositoryStatus();
    status.setRepository(identity);
    Repository repository = new Repository();
    repository.setStatus(status);
    return repository;
  }
}
