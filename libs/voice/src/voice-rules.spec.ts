import {
  chargedMinutes,
  endOutcome,
  joinTranscript,
  LANGUAGE_PATTERN,
  startedMinutes,
  transcriptionCredits,
} from './voice-rules';

describe('voice rules', () => {
  it('should price started minutes (1–60 s → 5, 61–120 s → 10, 300 s → 25)', () => {
    expect(transcriptionCredits(0, 5)).toBe(0);
    expect(transcriptionCredits(1, 5)).toBe(5);
    expect(transcriptionCredits(60, 5)).toBe(5);
    expect(transcriptionCredits(61, 5)).toBe(10);
    expect(transcriptionCredits(120, 5)).toBe(10);
    expect(transcriptionCredits(300, 5)).toBe(25);
  });

  it('should count started minutes over the exact audio time, at least one once audio flowed', () => {
    expect(startedMinutes(null)).toBe(0);
    expect(startedMinutes(0)).toBe(1);
    expect(startedMinutes(400)).toBe(1);
    expect(startedMinutes(60_000)).toBe(1);
    expect(startedMinutes(60_001)).toBe(2);
    expect(startedMinutes(2500, 1000)).toBe(3);
  });

  it('should accept 2–16 letters, digits and dashes as language', () => {
    expect(['en', 'en-US', 'zh-Hant-TW', 'x'.repeat(16)].every((code) => LANGUAGE_PATTERN.test(code))).toBe(true);
    expect(['e', 'x'.repeat(17), 'en_US', 'en US', ''].some((code) => LANGUAGE_PATTERN.test(code))).toBe(false);
  });

  it('should commit started minutes, all reserved ones on a credit stop, none on a provider failure', () => {
    expect(chargedMinutes('end_stream', 2, 1)).toBe(1);
    expect(chargedMinutes('disconnect', 1, 2)).toBe(1);
    expect(chargedMinutes('insufficient_credits', 1, 0)).toBe(1);
    expect(chargedMinutes('provider_error', 3, 3)).toBe(0);
  });

  it('should join final segments with single spaces', () => {
    expect(joinTranscript(['remember to call', ' the supplier ', ''])).toBe('remember to call the supplier');
  });

  it('should map every end to one stored outcome', () => {
    expect(endOutcome('end_stream')).toMatchObject({
      completeStatus: 'completed',
      status: 'completed',
      endReason: 'end_stream',
    });
    expect(endOutcome('idle')).toMatchObject({ completeStatus: 'completed', endReason: 'idle' });
    expect(endOutcome('max_duration')).toMatchObject({ completeStatus: 'max_duration', status: 'completed' });
    expect(endOutcome('insufficient_credits')).toMatchObject({
      completeStatus: 'insufficient_credits',
      status: 'completed',
    });
    expect(endOutcome('provider_error')).toMatchObject({
      completeStatus: 'failed',
      status: 'failed',
      action: 'transcription_failed',
      closeCode: 1011,
    });
    expect(endOutcome('disconnect')).toMatchObject({
      completeStatus: null,
      status: 'aborted',
      endReason: 'disconnect',
    });
    expect(endOutcome('protocol')).toMatchObject({ completeStatus: null, status: 'aborted', closeCode: 4400 });
  });
});
