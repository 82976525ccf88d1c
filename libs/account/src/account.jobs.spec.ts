import type { JobContext } from '@app/core/jobs/job-handler.decorator';
import type { AccountDeletionRepository } from './account-deletion.repository';
import { AccountJobs } from './account.jobs';
import type { DataExportService } from './data-export.service';
import type { DataExportsRepository } from './data-exports.repository';

describe(AccountJobs.name, () => {
  const now = new Date('2026-01-19T10:30:00.000Z');
  let service: { build: jest.Mock; fail: jest.Mock };
  let sut: AccountJobs;

  beforeEach(() => {
    service = { build: jest.fn(), fail: jest.fn() };
    sut = new AccountJobs(
      service as unknown as DataExportService,
      {} as DataExportsRepository,
      {} as AccountDeletionRepository,
    );
  });

  const context = (attempt: number, data: Record<string, unknown> = { export_id: 'e1' }): JobContext => ({
    now,
    data,
    jobId: 'job',
    attempt,
  });

  it('should skip a job without an export id', async () => {
    await expect(sut.export(context(1, {}))).resolves.toEqual({
      status: 'skipped',
      result: { reason: 'no export_id' },
    });
    expect(service.build).not.toHaveBeenCalled();
  });

  it('should rethrow an early failure for a retry without marking the export failed', async () => {
    service.build.mockRejectedValue(new Error('boom'));
    await expect(sut.export(context(2))).rejects.toThrow('boom');
    expect(service.fail).not.toHaveBeenCalled();
  });

  it('should mark the export failed when the last attempt fails', async () => {
    service.build.mockRejectedValue(new Error('boom'));
    await expect(sut.export(context(3))).rejects.toThrow('boom');
    expect(service.fail).toHaveBeenCalledWith('e1', now);
  });
});
