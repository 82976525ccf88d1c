import { Injectable } from '@nestjs/common';

/**
 * The current time for rules that cut time into UTC days and months (docs/README.md §2, UTC
 * everywhere). One instance per app (`CoreModuleOptions.clock`), so a test can stand on either
 * side of a boundary instead of hoping the wall clock does not cross it.
 */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }
}
