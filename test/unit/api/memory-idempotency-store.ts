/**
 * An in-memory Powertools persistence layer for the API unit tests, with DynamoDB's semantics as
 * DynamoDBPersistenceLayer uses them: a put succeeds only when the key is new, expired, or in
 * progress past its in-progress expiry; otherwise it fails with the existing record.
 */
import { IdempotencyItemAlreadyExistsError, IdempotencyItemNotFoundError } from '@aws-lambda-powertools/idempotency';
import { BasePersistenceLayer, type IdempotencyRecord } from '@aws-lambda-powertools/idempotency/persistence';

export class MemoryIdempotencyStore extends BasePersistenceLayer {
  /** The records by idempotency key (the hashed key Powertools derives). */
  readonly records = new Map<string, IdempotencyRecord>();

  protected async _getRecord(idempotencyKey: string): Promise<IdempotencyRecord> {
    const record = this.records.get(idempotencyKey);
    if (!record) throw new IdempotencyItemNotFoundError();
    return record;
  }

  protected async _putRecord(record: IdempotencyRecord): Promise<void> {
    const old = this.records.get(record.idempotencyKey);
    const now = Date.now();
    const free =
      !old ||
      (old.expiryTimestamp !== undefined && old.expiryTimestamp < now / 1000) ||
      (old.getStatus() === 'INPROGRESS' && old.inProgressExpiryTimestamp !== undefined && old.inProgressExpiryTimestamp < now);
    if (!free) throw new IdempotencyItemAlreadyExistsError(`record ${record.idempotencyKey} exists`, old);
    this.records.set(record.idempotencyKey, record);
  }

  protected async _updateRecord(record: IdempotencyRecord): Promise<void> {
    this.records.set(record.idempotencyKey, record);
  }

  protected async _deleteRecord(record: IdempotencyRecord): Promise<void> {
    this.records.delete(record.idempotencyKey);
  }
}
