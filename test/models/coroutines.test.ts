import { runConformance } from './conformance.case.js'
import { runMysqlStore } from './mysql-store.case.js'
import { runRssGrowth } from './rss-growth.case.js'

runConformance('coroutines')
runRssGrowth('coroutines', { keepAlive: true })
runMysqlStore('coroutines')
