import { runConformance } from './conformance.case.js'

runConformance('node-http')
