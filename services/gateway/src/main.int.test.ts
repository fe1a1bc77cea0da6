import { describeServiceLifecycle } from "@flyt/testing";

describeServiceLifecycle("gateway");
