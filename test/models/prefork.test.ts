import { runConformance } from './conformance.case.js'
import { runMysqlStore } from './mysql-store.case.js'

runConformance('prefork', {
  args: ['--workers=2'],
  skip: [
    {
      reason:
        'the memory store lives in each worker process and round-robin sends consecutive connections to ' +
        'different workers: a follow written through one is not seen by the other; the same flow runs on ' +
        'the shared mysql store below',
      tests: ['follows and unfollows a stock through POST routes'],
    },
  ],
})
runMysqlStore('prefork', { args: ['--workers=2'] })
