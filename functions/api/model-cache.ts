/**
 * Parsed model artifacts by version. A version's artifact never changes, so entries never go
 * stale; only the most recent few are kept (a promotion makes the old champion unused).
 * Concurrent first requests for a version share one load; a failed load is not cached.
 */
import type { ModelArtifact } from '../../lib/domain/model/artifact.ts';

export class ModelCache {
  private readonly entries = new Map<string, Promise<ModelArtifact>>();
  constructor(private readonly capacity = 2) {}

  get(version: string, load: () => Promise<ModelArtifact>): Promise<ModelArtifact> {
    const hit = this.entries.get(version);
    if (hit) {
      // Re-insert to mark as most recently used.
      this.entries.delete(version);
      this.entries.set(version, hit);
      return hit;
    }
    const loading = load();
    this.entries.set(version, loading);
    loading.catch(() => {
      if (this.entries.get(version) === loading) this.entries.delete(version);
    });
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
    return loading;
  }

  get size(): number {
    return this.entries.size;
  }
}
