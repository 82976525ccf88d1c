/**
 * The quick-add corpus: phrases and what a person means by them, read on Thursday 2026-12-03 at
 * 10:30 in New York (15:30 UTC). `due` is New York wall-clock time; `rrule` is the stored (UTC)
 * rule; `reminders` are span values. Fields left out mean "nothing recognised".
 */
export const CORPUS_NOW = new Date('2026-12-03T15:30:00Z');
export const CORPUS_TIME_ZONE = 'America/New_York';

export interface CorpusExpectation {
  title: string;
  due?: string;
  priority?: 'low' | 'medium' | 'high';
  rrule?: string;
  duration?: number;
  reminders?: string[];
}

export type CorpusEntry = [text: string, expected: CorpusExpectation];

const DATES: [phrase: string, due: string][] = [
  ['today', '2026-12-03 09:00'],
  ['tomorrow', '2026-12-04 09:00'],
  ['tomorrow 5pm', '2026-12-04 17:00'],
  ['tomorrow at 5pm', '2026-12-04 17:00'],
  ['tonight', '2026-12-03 22:00'],
  ['tomorrow evening', '2026-12-04 20:00'],
  ['friday', '2026-12-04 09:00'],
  ['on friday', '2026-12-04 09:00'],
  ['by friday', '2026-12-04 09:00'],
  ['monday', '2026-12-07 09:00'],
  ['next fri', '2026-12-11 09:00'],
  ['next monday at 8am', '2026-12-07 08:00'],
  ['sunday 6pm', '2026-12-06 18:00'],
  ['in 3 days', '2026-12-06 09:00'],
  ['in 2 hours', '2026-12-03 12:30'],
  ['in 30 minutes', '2026-12-03 11:00'],
  ['Dec 24', '2026-12-24 09:00'],
  ['December 24 at 3pm', '2026-12-24 15:00'],
  ['24 Dec', '2026-12-24 09:00'],
  ['12/24', '2026-12-24 09:00'],
  ['Dec 31 11pm', '2026-12-31 23:00'],
  ['Jan 2', '2027-01-02 09:00'],
  ['at 5pm', '2026-12-03 17:00'],
  ['at 10:30pm', '2026-12-03 22:30'],
  ['at noon', '2026-12-03 12:00'],
  ['this weekend', '2026-12-05 09:00'],
  ['next week', '2026-12-10 09:00'],
  ['tomorrow at 14:00', '2026-12-04 14:00'],
];

const RECURRENCES: [phrase: string, rrule: string, due: string][] = [
  ['every day', 'FREQ=DAILY', '2026-12-04 09:00'],
  ['daily', 'FREQ=DAILY', '2026-12-04 09:00'],
  ['daily at 9', 'FREQ=DAILY', '2026-12-04 09:00'],
  ['every day at 6pm', 'FREQ=DAILY', '2026-12-03 18:00'],
  ['every monday', 'FREQ=WEEKLY;BYDAY=MO', '2026-12-07 09:00'],
  ['every sunday at 8pm', 'FREQ=WEEKLY;BYDAY=MO', '2026-12-06 20:00'],
  ['every friday at 11pm', 'FREQ=WEEKLY;BYDAY=SA', '2026-12-04 23:00'],
  ['every weekday', 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR', '2026-12-04 09:00'],
  ['every weekday at 9:30', 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR', '2026-12-04 09:30'],
  ['every weekend', 'FREQ=WEEKLY;BYDAY=SA,SU', '2026-12-05 09:00'],
  ['every 2 weeks', 'FREQ=WEEKLY;INTERVAL=2', '2026-12-04 09:00'],
  ['every other day', 'FREQ=DAILY;INTERVAL=2', '2026-12-04 09:00'],
  ['every 3 days', 'FREQ=DAILY;INTERVAL=3', '2026-12-04 09:00'],
  ['weekly', 'FREQ=WEEKLY', '2026-12-04 09:00'],
  ['biweekly', 'FREQ=WEEKLY;INTERVAL=2', '2026-12-04 09:00'],
  ['monthly', 'FREQ=MONTHLY', '2026-12-04 09:00'],
  ['monthly on the 1st', 'FREQ=MONTHLY;BYMONTHDAY=1', '2027-01-01 09:00'],
  ['every month on the 15th', 'FREQ=MONTHLY;BYMONTHDAY=15', '2026-12-15 09:00'],
  ['every 15th', 'FREQ=MONTHLY;BYMONTHDAY=15', '2026-12-15 09:00'],
  ['yearly', 'FREQ=YEARLY', '2026-12-04 09:00'],
  ['every year', 'FREQ=YEARLY', '2026-12-04 09:00'],
  ['every mon, wed and fri', 'FREQ=WEEKLY;BYDAY=MO,WE,FR', '2026-12-04 09:00'],
  ['every tuesday and thursday at 6pm', 'FREQ=WEEKLY;BYDAY=TU,TH', '2026-12-03 18:00'],
  ['every other friday', 'FREQ=WEEKLY;INTERVAL=2;BYDAY=FR', '2026-12-04 09:00'],
  ['on mondays', 'FREQ=WEEKLY;BYDAY=MO', '2026-12-07 09:00'],
  ['every morning', 'FREQ=DAILY', '2026-12-04 06:00'],
  ['every evening', 'FREQ=DAILY', '2026-12-03 20:00'],
];

const PRIORITIES: [token: string, priority: 'low' | 'medium' | 'high'][] = [
  ['!high', 'high'],
  ['!h', 'high'],
  ['!1', 'high'],
  ['p1', 'high'],
  ['!medium', 'medium'],
  ['!med', 'medium'],
  ['p2', 'medium'],
  ['!low', 'low'],
  ['!l', 'low'],
  ['p3', 'low'],
  ['p4', 'low'],
];

const DURATIONS: [phrase: string, minutes: number][] = [
  ['for 45m', 45],
  ['for 1h', 60],
  ['for 1.5 hours', 90],
  ['for 90 minutes', 90],
  ['for 1h30m', 90],
  ['for half an hour', 30],
  ['for an hour', 60],
  ['for 2 hours', 120],
  ['for 25 mins', 25],
];

const PLAIN_TITLES = [
  'Read 1984',
  'Call May',
  'Buy 2 apples',
  'Fix bug 42',
  'Watch Apollo 13',
  'Review PR 1234',
  'Book flights',
  'Email the landlord',
  'Pick up dry cleaning',
  'Write blog post',
  'Plan Q3 roadmap',
  'Call April',
  'Order 3 pizzas',
  'Read chapter 7',
  'Prepare slides v2',
  'Renew passport',
  'Update resume',
  'Pay invoice #4521',
  'Clean garage',
  'Learn Rust',
  'Backup laptop',
  'Buy 12 eggs',
  'Return library books',
  'Schedule dentist',
  'Reply to Mark',
  'Replace air filter',
  'Water the plants',
  'Cancel gym membership',
  'Draft newsletter',
  'Study for exam',
  'Organize photos',
  'Buy a gift for Sam',
  'Practice piano',
  'Take out trash',
  'Finish 100 pushups',
  'Read Catch-22',
  'Watch Blade Runner 2049',
  'Listen to Abbey Road',
  'Top 10 list',
  'Route 66 trip planning',
  'Remind Sarah about the keys',
  'Ship v1.2 hotfix',
  'Book for the trip',
  'Call the help desk',
  'Buy milk',
];

const TITLES = ['Call mom', 'Submit report', 'Pay rent', 'Team sync'];

const at = (index: number): string => TITLES[index % TITLES.length];

export const QUICK_ADD_CORPUS: CorpusEntry[] = [
  ...DATES.flatMap(([phrase, due], index): CorpusEntry[] => [
    [`${at(index)} ${phrase}`, { title: at(index), due }],
    [`${phrase} ${at(index + 1)}`, { title: at(index + 1), due }],
  ]),
  ...RECURRENCES.flatMap(([phrase, rrule, due], index): CorpusEntry[] => [
    [`${at(index)} ${phrase}`, { title: at(index), rrule, due }],
    [`${at(index + 2)} ${phrase} !high`, { title: at(index + 2), rrule, due, priority: 'high' }],
  ]),
  ...PRIORITIES.flatMap(([token, priority], index): CorpusEntry[] => [
    [`${at(index)} ${token}`, { title: at(index), priority }],
    [`${token} ${at(index + 1)} tomorrow`, { title: at(index + 1), priority, due: '2026-12-04 09:00' }],
  ]),
  ...DURATIONS.flatMap(([phrase, duration], index): CorpusEntry[] => [
    [`${at(index)} ${phrase}`, { title: at(index), duration }],
    [`${at(index + 3)} tomorrow 3pm ${phrase}`, { title: at(index + 3), duration, due: '2026-12-04 15:00' }],
  ]),
  [
    'Call mom tomorrow 5pm remind me 30m before',
    { title: 'Call mom', due: '2026-12-04 17:00', reminders: ['before:30'] },
  ],
  [
    'Dentist Dec 24 at 10am remind me 1 hour before',
    { title: 'Dentist', due: '2026-12-24 10:00', reminders: ['before:60'] },
  ],
  [
    'Standup tomorrow 9am remind me 10 min after',
    { title: 'Standup', due: '2026-12-04 09:00', reminders: ['after:10'] },
  ],
  [
    'Flight friday 7am remind me 1 day before',
    { title: 'Flight', due: '2026-12-04 07:00', reminders: ['before:1440'] },
  ],
  ['Taxes remind me in 2 hours', { title: 'Taxes', reminders: ['at:2026-12-03T17:30:00.000Z'] }],
  [
    'Write report tomorrow remind me at 4pm',
    { title: 'Write report', due: '2026-12-04 09:00', reminders: ['at:2026-12-04T21:00:00.000Z'] },
  ],
  ['Pay bills remind me tomorrow at 8am', { title: 'Pay bills', reminders: ['at:2026-12-04T13:00:00.000Z'] }],
  [
    'Call mom tomorrow 5pm every sunday !high remind me 30m before',
    {
      title: 'Call mom',
      rrule: 'FREQ=WEEKLY;BYDAY=SU',
      due: '2026-12-06 17:00',
      priority: 'high',
      reminders: ['before:30'],
    },
  ],
  [
    'Water plants every monday, wednesday and friday at 8pm',
    { title: 'Water plants', rrule: 'FREQ=WEEKLY;BYDAY=TU,TH,SA', due: '2026-12-04 20:00' },
  ],
  [
    'Gym every weekday at 7am for 1h p2',
    {
      title: 'Gym',
      rrule: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR',
      due: '2026-12-04 07:00',
      duration: 60,
      priority: 'medium',
    },
  ],
  [
    'Review budget Dec 24 3pm for 45m !low remind me 15m before',
    { title: 'Review budget', due: '2026-12-24 15:00', duration: 45, priority: 'low', reminders: ['before:15'] },
  ],
  [
    'Pay rent monthly on the 1st remind me 1 day before',
    { title: 'Pay rent', rrule: 'FREQ=MONTHLY;BYMONTHDAY=1', due: '2027-01-01 09:00', reminders: ['before:1440'] },
  ],
  ['Read 1984 tomorrow', { title: 'Read 1984', due: '2026-12-04 09:00' }],
  ['Call May at 5pm', { title: 'Call May', due: '2026-12-03 17:00' }],
  ['Buy 2 apples p1', { title: 'Buy 2 apples', priority: 'high' }],
  ['Read chapter 7 for 30m', { title: 'Read chapter 7', duration: 30 }],
  ['Plan trip for 3 days', { title: 'Plan trip for 3 days' }],
  ['Deploy every 0 days', { title: 'Deploy every 0 days' }],
  ...PLAIN_TITLES.map((title): CorpusEntry => [title, { title }]),
];
