// `wasmlearn/svm`: support vector machines (libsvm's formulations, scikit-learn's API).
export * from './core.js';
export { SVC, NuSVC, type SVCOptions, type NuSVCOptions } from '../svm/svc.js';
export { NuSVR, type NuSVROptions } from '../svm/nu-svr.js';
export { SVR, type SVROptions } from '../svm/svr.js';
export { OneClassSVM, type OneClassSVMOptions } from '../svm/one-class-svm.js';
export type { KernelName } from '../svm/libsvm.js';
export type { ClassWeight } from '../class-weight.js';
