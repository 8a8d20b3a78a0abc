package io.kanister.kopia.operator.repository;

import io.kanister.kopia.model.repository.Repository;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.IntSupplier;

/**
 * Where every piece of per-Repository memory is listed: each holder (token caches, verification
 * caches, last-synced inputs, export digests, hung-server clocks...) registers how to forget one
 * Repository and how many entries it holds. The reconciler calls {@link #forget} when a Repository
 * is deleted, so nothing outlives it; {@link #sizes} lets tests and benchmarks see that.
 */
public final class RepositoryMemory {
  private record Holder(String name, Consumer<Repository> forget, IntSupplier size) {}

  private final List<Holder> holders = new CopyOnWriteArrayList<>();

  /**
   * @param name what the holder keeps, for {@link #sizes}
   * @param forget drops everything kept for one Repository
   * @param size how many Repositories (or entries) it holds now
   */
  public void register(String name, Consumer<Repository> forget, IntSupplier size) {
    holders.add(new Holder(name, forget, size));
  }

  /** Drops everything any holder keeps for {@code repository}. */
  public void forget(Repository repository) {
    holders.forEach(h -> h.forget().accept(repository));
  }

  /** Entries per holder, by name. */
  public Map<String, Integer> sizes() {
    Map<String, Integer> sizes = new LinkedHashMap<>();
    holders.forEach(h -> sizes.merge(h.name(), h.size().getAsInt(), Integer::sum));
    return sizes;
  }

  /** All entries of all holders: zero once every Repository is gone. */
  public int total() {
    return sizes().values().stream().mapToInt(Integer::intValue).sum();
  }
}
