import { MediaInitial1732820000000 } from './1732820000000-MediaInitial';

export const mediaMigrations = [MediaInitial1732820000000];
