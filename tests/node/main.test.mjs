// The built npm package's main entry, imported by name from plain Node ESM (node --test).
import * as mod from "employment-link";
import { validatorSuite } from "./validate-cases.mjs";

validatorSuite(mod, "employment-link");
