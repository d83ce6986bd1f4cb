import { runConformance } from './conformance.case.js'
import { runMysqlStore } from './mysql-store.case.js'

// 16 live children at most: 64 concurrent clients then cost 64 forks of ~60 ms, 16 at a time, on
// two cores — a few seconds — instead of 64 Node processes starting at once.
runConformance('fork', {
  args: ['--max-procs=16'],
  skip: [
    {
      reason:
        'the memory store lives in each child process, and every connection gets a new child: a follow ' +
        'written on one connection is gone on the next; the same flow runs on the shared mysql store below',
      tests: ['follows and unfollows a stock through POST routes'],
    },
  ],
})
runMysqlStore('fork')
