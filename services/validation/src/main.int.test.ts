import { describeServiceLifecycle } from "@flyt/testing";

describeServiceLifecycle("validation");
