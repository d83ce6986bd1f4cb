import { runConformance } from './conformance.case.js'
import { runMysqlStore } from './mysql-store.case.js'

// 16 live children at most: a burst of connections starts 16 Node processes at a time, the rest
// wait their turn, instead of 64 processes competing for two cores at once.
runConformance('fork', {
  args: ['--max-procs=16'],
  skip: [
    {
      reason:
        'the memory store lives in each child process, and every connection gets a new child: a follow ' +
        'written on one connection is gone on the next; the same flow runs on the shared mysql store below',
      tests: ['follows and unfollows a stock through POST routes'],
    },
    {
      reason:
        "64 forks take ~11 CPU-seconds (~0.17 s each: Node's start plus loading the app), about 5.5 s on " +
        "two idle cores, past the 5 s each client gets here; fork-children.test.ts runs the same 64 " +
        'clients with a minute each',
      tests: ['answers 64 concurrent clients correctly'],
    },
  ],
})
runMysqlStore('fork')
