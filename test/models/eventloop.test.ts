import { runConformance } from './conformance.case.js'

runConformance('eventloop')
