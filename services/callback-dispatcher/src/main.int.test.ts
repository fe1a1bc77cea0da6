import { describeServiceLifecycle } from "@flyt/testing";

describeServiceLifecycle("callback-dispatcher");
