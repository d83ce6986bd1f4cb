import { runConformance } from './conformance.case.js'
import { runMysqlStore } from './mysql-store.case.js'
import { runRssGrowth } from './rss-growth.case.js'

runConformance('nonblocking')
runRssGrowth('nonblocking', { keepAlive: true })
runMysqlStore('nonblocking')
