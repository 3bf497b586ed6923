/**
 * Online learners, bandits and model stores on typed arrays and ml-matrix.
 *
 * @packageDocumentation
 * @module @tributary/learn
 */
export type { AsBinaryOptions } from './asBinary.js';
export { asBinary } from './asBinary.js';
export type { Bandit, ContextualBandit } from './bandit.js';
export type { EpsilonGreedyOptions } from './epsilonGreedy.js';
export { epsilonGreedy } from './epsilonGreedy.js';
export type { FtrlProximalOptions } from './ftrlProximal.js';
export { ftrlProximal } from './ftrlProximal.js';
export type { GaussianNaiveBayesOptions } from './gaussianNaiveBayes.js';
export { gaussianNaiveBayes } from './gaussianNaiveBayes.js';
export type { HalfSpaceTreesOptions } from './halfSpaceTrees.js';
export { halfSpaceTrees } from './halfSpaceTrees.js';
export type { HoeffdingTree, HoeffdingTreeOptions, LeafPrediction } from './hoeffdingTree.js';
export { hoeffdingTree } from './hoeffdingTree.js';
export type { KMeansOptions } from './kMeans.js';
export { kMeans } from './kMeans.js';
export type { LearnErrorCode } from './learnErrorCode.js';
export type {
  AnomalyDetector,
  AnyLearner,
  BinaryClassifier,
  Clusterer,
  JsonValue,
  Learner,
  LearnerKind,
  LearnerSnapshot,
  MulticlassClassifier,
  Regressor,
} from './learner.js';
export type {
  LinearClassifier,
  LinearModelOptions,
  LinearRegressor,
  LinearWeights,
} from './linearModel.js';
export type { LinearRegressionOptions } from './linearRegression.js';
export { linearRegression } from './linearRegression.js';
export type { LinearThompsonSamplingOptions } from './linearThompsonSampling.js';
export { linearThompsonSampling } from './linearThompsonSampling.js';
export type { LinUcbOptions } from './linUcb.js';
export { linUcb } from './linUcb.js';
export { logisticRegression } from './logisticRegression.js';
export type { MemoryModelStoreOptions } from './memoryModelStore.js';
export { memoryModelStore } from './memoryModelStore.js';
export type { Mergeable, ModelDelta } from './mergeable.js';
export { isMergeable } from './mergeable.js';
export type { ModelStore, ModelVersion } from './modelStore.js';
export type { ModelSyncOptions, ModelSyncPrivacy, ModelUpdate } from './modelSync.js';
export { modelSync } from './modelSync.js';
export { oneVsRest } from './oneVsRest.js';
export type { AdaGradSpec, AdamSpec, Optimizer, SgdSpec } from './optimizer.js';
export { adagrad, adam, sgd } from './optimizer.js';
export type { PassiveAggressiveClassifierOptions } from './passiveAggressiveClassifier.js';
export { passiveAggressiveClassifier } from './passiveAggressiveClassifier.js';
export type { PassiveAggressiveRegressorOptions } from './passiveAggressiveRegressor.js';
export { passiveAggressiveRegressor } from './passiveAggressiveRegressor.js';
export type { PerceptronOptions } from './perceptron.js';
export { perceptron } from './perceptron.js';
export type { PredictStageOptions, PredictWithOptions } from './predictWith.js';
export { predictStage, predictWith } from './predictWith.js';
export type { PublishModelOptions } from './publishModel.js';
export { publishModel } from './publishModel.js';
export type {
  RecursiveLeastSquares,
  RecursiveLeastSquaresOptions,
} from './recursiveLeastSquares.js';
export { recursiveLeastSquares } from './recursiveLeastSquares.js';
export type { ServeModelOptions, ServingStage } from './serveModel.js';
export { serveModel } from './serveModel.js';
export type { ThompsonSamplingOptions } from './thompsonSampling.js';
export { thompsonSampling } from './thompsonSampling.js';
export type { LearnStageOptions, TrainModelOptions } from './trainModel.js';
export { learnStage, trainModel } from './trainModel.js';
export type { Ucb1Options } from './ucb1.js';
export { ucb1 } from './ucb1.js';
