import { runConformance } from './conformance.case.js'
import { runMysqlStore } from './mysql-store.case.js'

runConformance('threads', { args: ['--workers=2'] })
runMysqlStore('threads', { args: ['--workers=2'] })
