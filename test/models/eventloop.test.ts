import { runConformance } from './conformance.case.js'
import { runMysqlStore } from './mysql-store.case.js'
import { runRssGrowth } from './rss-growth.case.js'

runConformance('eventloop')
runRssGrowth('eventloop', { keepAlive: true })
runMysqlStore('eventloop')
