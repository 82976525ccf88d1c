import {
  cleanSubtaskTitles,
  filterSuggestedActions,
  parseChatContent,
  parseConversion,
  parseSubtaskSuggestions,
  referencedTaskIds,
} from './ai-output-rules';

const MINE = '6f1c2b7e-9a4d-4e21-8c55-0b6a1d2e3f40';
const NOW = new Date('2026-01-19T10:00:00.000Z');

describe('AI output rules', () => {
  describe(parseChatContent.name, () => {
    it('should read the JSON response and suggestions', () => {
      expect(
        parseChatContent(JSON.stringify({ response: 'Hi', suggested_actions: [{ type: 'create_task' }] })),
      ).toEqual({
        response: 'Hi',
        actions: [{ type: 'create_task' }],
      });
    });

    it('should fall back to the whole text without a string response', () => {
      expect(parseChatContent('plain words')).toEqual({ response: 'plain words', actions: [] });
      expect(parseChatContent('{"answer":"x"}')).toEqual({ response: '{"answer":"x"}', actions: [] });
      expect(parseChatContent('[1,2]')).toEqual({ response: '[1,2]', actions: [] });
      expect(parseChatContent('{"response":"ok","suggested_actions":"no"}')).toEqual({ response: 'ok', actions: [] });
    });
  });

  describe(filterSuggestedActions.name, () => {
    it('should keep at most five known, owned suggestions', () => {
      const actions = Array.from({ length: 7 }, () => ({
        type: 'complete_task',
        task_id: MINE,
        description: 'd',
        data: {},
      }));
      expect(filterSuggestedActions(actions, new Set([MINE]))).toHaveLength(5);
    });

    it('should null the task of create_task, strip task_id from data and default fields', () => {
      expect(
        filterSuggestedActions([{ type: 'create_task', task_id: 'x', data: { title: 'A', task_id: 'y' } }], new Set()),
      ).toEqual([{ type: 'create_task', task_id: null, description: '', data: { title: 'A' } }]);
    });

    it('should drop unknown types, foreign or malformed task ids', () => {
      const actions = [
        { type: 'explode', task_id: MINE },
        { type: 'update_task', task_id: 'not-a-uuid' },
        { type: 'update_task' },
        null,
        'text',
      ];
      expect(filterSuggestedActions(actions, new Set([MINE]))).toEqual([]);
    });
  });

  it('should list referenced task ids in lowercase', () => {
    expect(referencedTaskIds([{ task_id: MINE.toUpperCase() }, { task_id: 'x' }, 3])).toEqual([MINE]);
  });

  describe(cleanSubtaskTitles.name, () => {
    it('should trim, drop empties, cut to 200, de-duplicate case-insensitively and cap', () => {
      const items = [{ title: ' A ' }, 'a', { title: '' }, { title: 7 }, 'B', { title: 'é'.repeat(201) }, 'C'];
      expect(cleanSubtaskTitles(items, 3)).toEqual([{ title: 'A' }, { title: 'B' }, { title: 'é'.repeat(200) }]);
      expect(cleanSubtaskTitles('nope', 3)).toEqual([]);
    });
  });

  it('should treat subtask answers without a usable title as unusable', () => {
    expect(parseSubtaskSuggestions('{"subtasks":[{"title":"x"}]}', 4)).toEqual([{ title: 'x' }]);
    expect(parseSubtaskSuggestions('{"subtasks":[]}', 4)).toBeNull();
    expect(parseSubtaskSuggestions('not json', 4)).toBeNull();
  });

  describe(parseConversion.name, () => {
    const options = { now: NOW, subtaskLimit: 2, descriptionLimit: 5 };

    it('should require a title', () => {
      expect(parseConversion('{"task":{"title":"  "}}', options)).toBeNull();
      expect(parseConversion('{"note_understanding":"x"}', options)).toBeNull();
      expect(parseConversion('garbage', options)).toBeNull();
    });

    it('should normalise every field', () => {
      const content = JSON.stringify({
        task: {
          title: 'Call',
          description: 'A long description',
          priority: 'urgent',
          due_date: '2026-01-25T17:00:00Z',
          estimated_duration: 30,
          subtasks: [{ title: 'a' }, { title: 'b' }, { title: 'c' }],
        },
        note_understanding: 5,
        confidence: -1,
      });
      expect(parseConversion(content, options)).toEqual({
        task_suggestion: {
          title: 'Call',
          description: 'A lon',
          priority: 'medium',
          due_date: '2026-01-25T17:00:00.000Z',
          estimated_duration: 30,
          subtasks: [{ title: 'a' }, { title: 'b' }],
        },
        note_understanding: '',
        confidence: 0,
      });
    });

    it('should drop unparsable or far due dates and out-of-range estimates', () => {
      const far = parseConversion(
        JSON.stringify({ task: { title: 'T', due_date: '2026-03-01T00:00:00Z', estimated_duration: 0.5 } }),
        options,
      );
      expect(far?.task_suggestion).toMatchObject({ due_date: null, estimated_duration: null, description: '' });
      const bad = parseConversion(
        JSON.stringify({ task: { title: 'T', due_date: 'tomorrow' }, confidence: 0.7 }),
        options,
      );
      expect(bad).toMatchObject({ task_suggestion: { due_date: null }, confidence: 0.7 });
    });
  });
});
